import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hasGo, USER_CACHE_DIR } from './temporal-cli';

/**
 * The production engine, built from the Go module proxy like the CLI: the Temporal server (the
 * version the CLI dev server embeds), its schema tool and the PostgreSQL schemas that ship in the
 * same module. Cached beside the CLI, so only the first build on a machine takes minutes.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_MODULE = 'go.temporal.io/server';
const SERVER_DIR = path.join(USER_CACHE_DIR, `temporal-server-${TEMPORAL_SERVER_VERSION}`);

/** The Temporal UI server; its newest tags need a newer Go than ours, which the go command fetches. */
export const TEMPORAL_UI_VERSION = 'v2.56.4';
const UI_MODULE = 'github.com/temporalio/ui-server/v2';
const UI_TOOLCHAIN = 'go1.27.3';
const UI_DIR = path.join(USER_CACHE_DIR, `temporal-ui-server-${TEMPORAL_UI_VERSION}`);

export interface TemporalServerTools {
  /** `temporal-server` (go.temporal.io/server/cmd/server). */
  server: string;
  /** A directory holding `temporal-sql-tool`, to put on PATH for deploy/temporal/setup-schema.sh. */
  binDir: string;
  /** The versioned PostgreSQL schemas: `<schemaDir>/temporal/versioned`, `<schemaDir>/visibility/versioned`. */
  schemaDir: string;
}

function goInstall(packages: string[], gobin: string, env: Record<string, string> = {}): void {
  execFileSync('go', ['install', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', ...env },
  });
}

function moduleDir(module: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', module], { encoding: 'utf8' });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? 'no directory'}`);
  return info.Dir;
}

/** Builds (first time only) and returns the Temporal server, temporal-sql-tool and the schemas. */
export function ensureTemporalServerTools(log: (msg: string) => void = console.log): TemporalServerTools {
  const server = path.join(SERVER_DIR, 'server');
  const sqlTool = path.join(SERVER_DIR, 'sql');
  const schemaDir = path.join(SERVER_DIR, 'schema', 'postgresql', 'v12');
  if (!existsSync(server) || !existsSync(sqlTool) || !existsSync(path.join(schemaDir, 'visibility', 'versioned'))) {
    if (!hasGo())
      throw new Error(
        `the Temporal server ${TEMPORAL_SERVER_VERSION} is built with Go (go install ${SERVER_MODULE}/cmd/server); install Go ≥ 1.24`,
      );
    log(
      `Building the Temporal server and temporal-sql-tool (${SERVER_MODULE} ${TEMPORAL_SERVER_VERSION}); first time only…`,
    );
    mkdirSync(SERVER_DIR, { recursive: true });
    goInstall(
      [
        `${SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
        `${SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
      ],
      SERVER_DIR,
    );
    // The schemas ship in the module; keep a copy beside the binaries so a cleaned module cache is harmless.
    const source = path.join(moduleDir(`${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`), 'schema', 'postgresql', 'v12');
    rmSync(schemaDir, { recursive: true, force: true });
    cpSync(source, schemaDir, { recursive: true });
  }
  // deploy/temporal/setup-schema.sh calls it by the name the admin-tools image gives it.
  const named = path.join(SERVER_DIR, 'temporal-sql-tool');
  if (!existsSync(named)) symlinkSync('sql', named);
  return { server, binDir: SERVER_DIR, schemaDir };
}

/**
 * The Temporal UI server, when it can be built here: its current tags require Go ≥ 1.26.10, so the
 * go command fetches the toolchain it names from the module proxy (GOTOOLCHAIN). A failed build is
 * remembered (delete the marker to try again) and answered with undefined: the UI is optional.
 */
export function ensureTemporalUiServer(log: (msg: string) => void = console.log): string | undefined {
  const binary = path.join(UI_DIR, 'server');
  const failed = path.join(UI_DIR, 'build-failed');
  if (existsSync(binary)) return binary;
  if (existsSync(failed) || !hasGo()) return undefined;
  mkdirSync(UI_DIR, { recursive: true });
  log(
    `Building the Temporal UI server (${UI_MODULE} ${TEMPORAL_UI_VERSION}, toolchain ${UI_TOOLCHAIN}); first time only…`,
  );
  try {
    goInstall([`${UI_MODULE}/cmd/server@${TEMPORAL_UI_VERSION}`], UI_DIR, { GOTOOLCHAIN: UI_TOOLCHAIN });
    return binary;
  } catch (err) {
    writeFileSync(failed, `${new Date().toISOString()} ${String(err)}\n`);
    log(`the Temporal UI server did not build (${String(err)}); going on without it`);
    return undefined;
  }
}
