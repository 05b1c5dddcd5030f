import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';

/** Whether a key press belongs to a field being typed in rather than to the list. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/**
 * The list shortcuts (documented on each list): j next row, k previous row, x select the row, Enter open
 * it. Returns the active row's index (-1 before the first j/k). Keys typed in a field are left alone.
 */
export function useListKeys(
  count: number,
  actions: { toggle: (index: number) => void; open: (index: number) => string | undefined | false },
): number {
  const [active, setActive] = useState(-1);
  const navigate = useNavigate();
  const ref = useRef({ count, actions, active });
  ref.current = { count, actions, active };
  useEffect(() => setActive(-1), [count]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const { count: n, actions: a, active: at } = ref.current;
      if (n === 0) return;
      if (event.key === 'j') setActive(Math.min(n - 1, at + 1));
      else if (event.key === 'k') setActive(Math.max(0, at - 1));
      else if (event.key === 'x' && at >= 0) a.toggle(at);
      else if (
        event.key === 'Enter' &&
        at >= 0 &&
        !['A', 'BUTTON'].includes((event.target as HTMLElement | null)?.tagName ?? '')
      ) {
        const to = a.open(at);
        if (to) navigate(to);
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
  useEffect(() => {
    if (active >= 0) document.querySelector(`[data-active=true]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  return active;
}
