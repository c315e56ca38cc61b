import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Popconfirm, Select, Space } from 'antd';
import { useState } from 'react';
import { api, errorMessage, ok } from '../api/client';

type Screen = 'cases' | 'supervision';
export type ViewFilters = Record<string, string | number | undefined>;

const clean = (filters: ViewFilters) =>
  Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== ''));

/**
 * Named views (saved filters) a person keeps for a screen: pick one to apply it, save the filters
 * on screen under a name, delete one. Kept per person by the API (/api/views).
 */
export function SavedViews({
  screen,
  current,
  onApply,
}: {
  screen: Screen;
  current: ViewFilters;
  onApply: (filters: ViewFilters) => void;
}) {
  const client = useQueryClient();
  const { message } = App.useApp();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string | undefined>();
  const views = useQuery({
    queryKey: ['views', screen],
    queryFn: async () => ok(await api.GET('/api/views', { params: { query: { screen } } })),
  });
  const save = useMutation({
    mutationFn: async () => {
      const body = { screen, name: name.trim(), filters: clean(current) };
      // The body's filters are those of `screen` (the API checks them as strictly as the screen's route).
      return ok(await api.POST('/api/views', { body: body as never }));
    },
    onSuccess: async (view) => {
      setName('');
      setChosen(view.id);
      void message.success(`已保存视图“${view.name}”`);
      await client.invalidateQueries({ queryKey: ['views', screen] });
    },
    onError: (err) => void message.error(errorMessage(err)),
  });
  const remove = useMutation({
    mutationFn: async (id: string) => {
      const res = await api.DELETE('/api/views/{id}', { params: { path: { id } } });
      if (!res.response.ok) ok({ error: res.error ?? {}, response: res.response });
    },
    onSuccess: async () => {
      setChosen(undefined);
      await client.invalidateQueries({ queryKey: ['views', screen] });
    },
    onError: (err) => void message.error(errorMessage(err)),
  });

  return (
    <Space wrap>
      <Select
        aria-label="常用视图"
        placeholder="常用视图"
        style={{ width: 200 }}
        allowClear
        value={chosen}
        loading={views.isLoading}
        options={(views.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
        onChange={(id?: string) => {
          setChosen(id);
          const view = views.data?.find((v) => v.id === id);
          if (view) onApply(view.filters as ViewFilters);
        }}
      />
      {chosen && (
        <Popconfirm title="删除这个视图？" okText="删除" cancelText="取消" onConfirm={() => remove.mutate(chosen)}>
          <Button>删除视图</Button>
        </Popconfirm>
      )}
      <Input
        aria-label="新视图名称"
        placeholder="把当前筛选存为…"
        value={name}
        maxLength={100}
        onChange={(e) => setName(e.target.value)}
        style={{ width: 180 }}
      />
      <Button disabled={!name.trim()} loading={save.isPending} onClick={() => save.mutate()}>
        保存视图
      </Button>
    </Space>
  );
}
