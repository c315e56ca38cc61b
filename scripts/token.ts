import { parseArgs } from 'node:util';
import { createSigner } from 'fast-jwt';
import { loadConfig } from '../config';

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
const config = loadConfig();
// exp always (the API refuses tokens without one, or living past JWT_MAX_LIFETIME_SECONDS); iss/aud when configured.
const sign = createSigner({
  key: config.jwtSecret,
  algorithm: 'HS256',
  expiresIn: values.expires,
  ...(config.jwtIssuer ? { iss: config.jwtIssuer } : {}),
  ...(config.jwtAudience ? { aud: config.jwtAudience } : {}),
});
console.log(
  sign({
    sub: values.sub,
    name: values.name ?? values.sub,
    role: values.role,
    ...(values.dept ? { dept: values.dept } : {}),
  }),
);
