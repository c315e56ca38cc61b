import { withMatterDefaults } from '../../domain/matter';
import { type MatterSnapshot } from '../../domain/types';
import { chance, pick, rint, weighted } from './random';

export const DEPARTMENTS: [string, string][] = [
  ['PLAN', '规划和自然资源局'],
  ['FIRE', '消防救援支队'],
  ['HOUSING', '住房和城乡建设局'],
  ['ENV', '生态环境局'],
  ['MARKET', '市场监督管理局'],
  ['HEALTH', '卫生健康委员会'],
  ['TRANSPORT', '交通运输局'],
  ['WATER', '水务局'],
  ['CIVILDEF', '人民防空办公室'],
  ['DEVREF', '发展和改革委员会'],
  ['EMERG', '应急管理局'],
  ['CULTURE', '文化广电旅游局'],
  ['EDU', '教育局'],
  ['AGRI', '农业农村局'],
  ['FOREST', '林业局'],
  ['POLICE', '公安局'],
  ['TRAFFIC', '交通警察支队'],
  ['URBAN', '城市管理局'],
  ['COMMERCE', '商务局'],
  ['TAX', '税务局'],
  ['HRSS', '人力资源和社会保障局'],
  ['CIVIL', '民政局'],
  ['JUSTICE', '司法局'],
  ['FINANCE', '财政局'],
  ['STATS', '统计局'],
  ['SPORT', '体育局'],
  ['ETHNIC', '民族宗教事务局'],
  ['HERITAGE', '文物局'],
  ['METEO', '气象局'],
  ['SEISMIC', '地震局'],
  ['POWER', '供电公司'],
  ['GAS', '燃气管理处'],
  ['TELECOM', '通信管理办公室'],
  ['RAIL', '铁路办'],
  ['PORT', '港口管理局'],
  ['OCEAN', '海洋局'],
  ['TOBACCO', '烟草专卖局'],
  ['POST', '邮政管理局'],
  ['VETERAN', '退役军人事务局'],
  ['MEDPROD', '药品监督管理局'],
];
export const DEPT_CODES = DEPARTMENTS.map(([code]) => code);
/** Some departments review far more matters than others (规划, 消防, 住建 …): roughly Zipf. */
export const DEPT_WEIGHTS = DEPT_CODES.map((code, i) => [code, 1 / (i + 1) ** 0.8] as const);
export const MATERIALS = [
  'app',
  'licence',
  'idcard',
  'landdeed',
  'drawings',
  'eia',
  'fireplan',
  'survey',
  'contract',
  'safety',
  'finance',
  'design',
];
export const MATTER_COUNT = 60;

export function makeMatters(): MatterSnapshot[] {
  const matters: MatterSnapshot[] = [];
  for (let i = 0; i < MATTER_COUNT; i++) {
    const size = weighted([
      [3, 60],
      [4, 25],
      [5, 10],
      [6, 5],
    ] as const);
    const depts = new Set<string>();
    while (depts.size < size) depts.add(weighted(DEPT_WEIGHTS));
    const [leadDept, ...coDepts] = [...depts] as [string, ...string[]];
    const materials = [...new Set(Array.from({ length: rint(3, 6) }, () => pick(MATERIALS)))];
    const fees = [...depts]
      .filter(() => chance(0.45))
      .map((dept) => ({ dept, item: `${dept}审查费`, maxAmountCents: rint(1, 50) * 10_000 }));
    matters.push(
      withMatterDefaults(`M${String(i + 1).padStart(3, '0')}`, {
        name: `并联审批事项 ${i + 1}`,
        leadDept,
        coDepts,
        requiredMaterials: materials.map((code) => ({ code, name: `材料 ${code}` })),
        timeLimitDays: pick([10, 12, 15, 20]),
        deptReviewDays: pick([5, 7, 7]),
        warnDays: pick([2, 3]),
        silencePolicy: i % 2 === 0 ? 'deemed_approve' : 'escalate_only',
        fees,
      }),
    );
  }
  return matters;
}
