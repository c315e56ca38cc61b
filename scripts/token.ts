import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { staffTokenSigner } from './infra/staff-token';

// npm run token -- --role department --dept FIRE --sub u1 [--name 张三] [--expires 8h]
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    dept: { type: 'string' },
    sub: { type: 'string', default: 'u1' },
    name: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
});
const roles = ['window', 'department', 'supervisor', 'admin'];
if (!values.role || !roles.includes(values.role)) {
  console.error(`--role must be one of ${roles.join(', ')}`);
  process.exit(2);
}
if ((values.role === 'window' || values.role === 'department') && !values.dept) {
  console.error(`--dept is required for ${values.role}`);
  process.exit(2);
}
// exp always, iss/aud when configured: the one signer in scripts/infra/staff-token.ts.
const sign = staffTokenSigner(loadConfig(), values.expires);
console.log(sign({ role: values.role, dept: values.dept, sub: values.sub, name: values.name }));
