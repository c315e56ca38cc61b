import { useSyncExternalStore } from 'react';

export type StaffRole = 'window' | 'department' | 'supervisor' | 'admin';

export interface Claims {
  sub: string;
  name?: string;
  role: StaffRole;
  dept?: string;
  /** Seconds since the epoch (JWT `exp`). */
  exp?: number;
}

export interface Session {
  token: string;
  claims: Claims;
}

const KEY = 'ja.session';
const ROLES: readonly string[] = ['window', 'department', 'supervisor', 'admin'];

/** Reads a JWT's claims (the API verifies the signature; the console only needs role, dept, exp). */
export function decodeClaims(token: string): Claims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Claims>;
    if (typeof claims.sub !== 'string' || !ROLES.includes(String(claims.role))) return undefined;
    return claims as Claims;
  } catch {
    return undefined;
  }
}

export const isExpired = (claims: Claims, nowMs = Date.now()) => claims.exp !== undefined && claims.exp * 1000 <= nowMs;

type Listener = () => void;
const listeners = new Set<Listener>();
let current: Session | null = load();
/** Why the last session ended, shown on the sign-in page. */
let endReason: 'expired' | 'signed_out' | null = null;

function load(): Session | null {
  const token = sessionStorage.getItem(KEY);
  const claims = token ? decodeClaims(token) : undefined;
  return token && claims ? { token, claims } : null;
}

function emit(): void {
  for (const l of listeners) l();
}

/** Sessions live in sessionStorage: one per browser tab, so two roles can work side by side. */
export const sessionStore = {
  get: () => current,
  endReason: () => endReason,
  signIn(token: string): Session {
    const claims = decodeClaims(token);
    if (!claims) throw new Error('invalid_token');
    if (isExpired(claims)) throw new Error('token_expired');
    sessionStorage.setItem(KEY, token);
    current = { token, claims };
    endReason = null;
    emit();
    return current;
  },
  end(reason: 'expired' | 'signed_out'): void {
    if (!current) return;
    sessionStorage.removeItem(KEY);
    current = null;
    endReason = reason;
    emit();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useSession(): Session | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}
