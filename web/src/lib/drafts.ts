import type { FormInstance } from 'antd';
import { useEffect } from 'react';
import { sessionStore, useSession } from '../auth/session';

const PREFIX = 'ja.draft.';

/**
 * A form's values kept as they are typed, in this tab's sessionStorage under the signed-in person,
 * so that a sign-in that expires mid-form (the console goes to the sign-in page and back) finds
 * them again. Another person signing in here never sees them; signing out or sending the form
 * drops them.
 */
export function useFormDraft<T extends object>(form: FormInstance<T>, name: string) {
  const sub = useSession()?.claims.sub;
  const key = sub ? `${PREFIX}${sub}.${name}` : undefined;
  useEffect(() => {
    const saved = key ? sessionStorage.getItem(key) : null;
    if (!saved) return;
    try {
      form.setFieldsValue(JSON.parse(saved) as Parameters<FormInstance<T>['setFieldsValue']>[0]);
    } catch {
      if (key) sessionStorage.removeItem(key);
    }
  }, [form, key]);
  return {
    /** For the Form's onValuesChange: keeps the whole form as it now is. */
    keep: (_changed: unknown, all: T) => {
      if (key) sessionStorage.setItem(key, JSON.stringify(all));
    },
    /** Once the form has been sent (or deliberately emptied). */
    drop: () => {
      if (key) sessionStorage.removeItem(key);
    },
  };
}

/** Every draft of this tab, on signing out: the next person at this desk starts clean. */
export function dropAllDrafts(): void {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const k = sessionStorage.key(i);
    if (k?.startsWith(PREFIX)) sessionStorage.removeItem(k);
  }
}

sessionStore.subscribe(() => {
  if (sessionStore.get() === null && sessionStore.endReason() === 'signed_out') dropAllDrafts();
});
