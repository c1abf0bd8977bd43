import { describe, expect, it } from 'vitest';
import { appMenu, type MenuNode } from './app-menu';
import { DEFAULT_DESKTOP } from './desktop-settings';

/** The menu as a grower reads it: top-level names, and what is in each. */
function outline(nodes: MenuNode[]): unknown[] {
  return nodes.map((node) => {
    switch (node.kind) {
      case 'role':
        return node.role;
      case 'submenu':
        return { [node.label]: outline(node.submenu) };
      case 'action':
        return node.label;
      case 'checkbox':
        return `[${node.checked ? 'x' : ' '}] ${node.label}`;
      case 'separator':
        return '---';
    }
  });
}

describe('the application menu', () => {
  it('has the standard menus, Tendril’s settings as checkboxes, and the logs under Help', () => {
    expect(outline(appMenu({ platform: 'linux', packaged: true, settings: DEFAULT_DESKTOP }))).toEqual([
      { File: ['[ ] Start at login', '[x] Keep running in the tray when the window is closed', '---', 'quit'] },
      'editMenu',
      { View: ['reload', 'forceReload', '---', 'resetZoom', 'zoomIn', 'zoomOut', '---', 'togglefullscreen'] },
      'windowMenu',
      { Help: ['Open logs folder'] },
    ]);
  });

  it('shows the settings as they are', () => {
    const file = appMenu({ platform: 'win32', packaged: true, settings: { closeToTray: false, startAtLogin: true } })[0]!;
    expect(outline([file])).toEqual([{ File: ['[x] Start at login', '[ ] Keep running in the tray when the window is closed', '---', 'quit'] }]);
  });

  it('follows macOS: the app menu first, and Quit there rather than in File', () => {
    const menu = appMenu({ platform: 'darwin', packaged: true, settings: DEFAULT_DESKTOP });
    expect(outline(menu)[0]).toBe('appMenu');
    expect(outline(menu)[1]).toEqual({ File: ['[ ] Start at login', '[x] Keep running in the tray when the window is closed', '---', 'close'] });
  });

  it('offers the developer tools only when run from source', () => {
    const view = (packaged: boolean) => JSON.stringify(appMenu({ platform: 'linux', packaged, settings: DEFAULT_DESKTOP }));
    expect(view(false)).toContain('toggleDevTools');
    expect(view(true)).not.toContain('toggleDevTools');
  });
});
