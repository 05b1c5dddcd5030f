import { useCallback, useState } from 'react';

export type Selectable = { id: string };

/**
 * Checkbox selection that survives paging: a map of the chosen rows, shift-click ranges from the last
 * clicked row of the page, and "all matching" (every row of the filter, including pages never loaded).
 */
export function useSelection<T extends Selectable>() {
  const [selected, setSelected] = useState<Map<string, T>>(new Map());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [allMatching, setAllMatching] = useState(false);

  const toggle = useCallback(
    (rows: T[], index: number, shift: boolean) => {
      const row = rows[index];
      if (!row) return;
      setAllMatching(false);
      setSelected((current) => {
        const next = new Map(current);
        const on = !current.has(row.id);
        const [from, to] =
          shift && anchor !== null ? [Math.min(anchor, index), Math.max(anchor, index)] : [index, index];
        for (let i = from; i <= to; i++) {
          const r = rows[i];
          if (!r) continue;
          if (on) next.set(r.id, r);
          else next.delete(r.id);
        }
        return next;
      });
      setAnchor(index);
    },
    [anchor],
  );

  const togglePage = useCallback((rows: T[]) => {
    setAllMatching(false);
    setSelected((current) => {
      const next = new Map(current);
      const all = rows.length > 0 && rows.every((r) => current.has(r.id));
      for (const r of rows) {
        if (all) next.delete(r.id);
        else next.set(r.id, r);
      }
      return next;
    });
  }, []);

  const clear = useCallback(() => {
    setSelected(new Map());
    setAllMatching(false);
    setAnchor(null);
  }, []);

  const resetAnchor = useCallback(() => setAnchor(null), []);

  return { selected, allMatching, setAllMatching, toggle, togglePage, clear, resetAnchor };
}
export type Selection<T extends Selectable> = ReturnType<typeof useSelection<T>>;
