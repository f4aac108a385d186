// A menu button as the WAI-ARIA Authoring Practices describe it ("Menu Button" pattern), for a
// short list of actions such as a deal's "Move to stage":
// - the button says it opens a menu (aria-haspopup="menu") and whether it is open
//   (aria-expanded), and points at the menu while it is open (aria-controls);
// - Enter, Space, ArrowDown or a click open the menu with the focus on its first item, ArrowUp
//   on its last;
// - in the menu ArrowDown / ArrowUp move (wrapping round), Home / End go to the ends, Enter or
//   Space choose the focused item, and Escape or Tab close it; choosing or closing by key gives
//   the focus back to the button, a click elsewhere closes it where the user clicked.
// Ant Design's Dropdown does not do this: its menu takes no Space, puts the focus on the list
// rather than an item, and its button carries neither attribute.
//
// The menu is drawn in a portal at the button (fixed position, kept there while the page
// scrolls), so a scrolling container such as the board's columns does not clip it.
import { Button, type ButtonProps } from 'antd';
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface MenuButtonItem {
  key: string;
  label: ReactNode;
}

export function MenuButton({ label, items, onChoose, icon, testId, size = 'small', type = 'text', children }: {
  label: string; // the accessible name of the button, and of its menu
  children?: ReactNode; // text shown on the button, if any (the name stays `label`)
  items: MenuButtonItem[];
  onChoose: (key: string) => void;
  icon?: ReactNode;
  testId?: string;
  size?: ButtonProps['size'];
  type?: ButtonProps['type'];
}) {
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const itemRefs = useRef<(HTMLLIElement | null)[]>([]);
  // null: closed; otherwise the index of the item that has (or is to get) the focus.
  const [active, setActive] = useState<number | null>(null);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);
  const open = active !== null;

  const close = useCallback((refocus: boolean) => {
    setActive(null);
    setPosition(null);
    if (refocus) buttonRef.current?.focus();
  }, []);

  // Below the button, moved left where it would leave the window (once the menu is drawn and
  // its width known).
  const place = useCallback(() => {
    const b = buttonRef.current?.getBoundingClientRect();
    if (!b) return;
    const width = menuRef.current?.offsetWidth ?? 0;
    const left = Math.max(8, Math.min(b.left, window.innerWidth - width - 8));
    setPosition({ top: b.bottom + 4, left });
  }, []);

  const openAt = (i: number) => {
    place();
    setActive(i);
  };

  useLayoutEffect(() => {
    if (open) place();
  }, [open, place]);

  useEffect(() => {
    if (active !== null) itemRefs.current[active]?.focus();
  }, [active]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
    };
  }, [open, close, place]);

  const choose = (key: string) => {
    close(true);
    onChoose(key);
  };

  const onButtonKeyDown = (e: KeyboardEvent) => {
    if (items.length === 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      openAt(e.key === 'ArrowDown' ? 0 : items.length - 1);
    }
  };

  const onMenuKeyDown = (e: KeyboardEvent) => {
    const n = items.length;
    const at = active ?? 0;
    const go = (i: number) => {
      e.preventDefault();
      setActive(((i % n) + n) % n);
    };
    switch (e.key) {
      case 'ArrowDown': return go(at + 1);
      case 'ArrowUp': return go(at - 1);
      case 'Home': return go(0);
      case 'End': return go(n - 1);
      case 'Enter':
      case ' ':
        e.preventDefault();
        return choose(items[at]!.key);
      case 'Escape':
      case 'Tab':
        e.preventDefault();
        return close(true);
    }
  };

  return (
    <>
      <Button
        ref={buttonRef}
        size={size}
        type={type}
        icon={icon}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={items.length === 0}
        onClick={() => (open ? close(true) : openAt(0))}
        onKeyDown={onButtonKeyDown}
        data-testid={testId}
      >
        {children}
      </Button>
      {open && createPortal(
        <ul
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={label}
          className="menu-popup"
          style={position ?? undefined}
          onKeyDown={onMenuKeyDown}
        >
          {items.map((item, i) => (
            <li
              key={item.key}
              ref={(el) => { itemRefs.current[i] = el; }}
              role="menuitem"
              tabIndex={-1}
              onClick={() => choose(item.key)}
              onMouseEnter={() => setActive(i)}
            >
              {item.label}
            </li>
          ))}
        </ul>,
        document.body,
      )}
    </>
  );
}
