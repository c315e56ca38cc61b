import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';

/**
 * A command on a case: on success the case's queries are read again and a short confirmation is
 * shown; a refusal stays on the mutation (`error`) for the form to show as its Chinese sentence.
 */
export function useCaseCommand<V, R>(caseNo: string, run: (vars: V) => Promise<R>, done: string) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      void message.success(done);
      await queryClient.invalidateQueries({ queryKey: ['case', caseNo] });
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}
