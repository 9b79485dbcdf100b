// The role matrix of the admin console (frontends.md §3.1). Pages, menu entries and buttons all read it;
// the services decide for real (a 403 from them is shown as a toast).

export const ROLES = ['customer', 'warehouse_staff', 'warehouse_manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: readonly Role[] = ['warehouse_staff', 'warehouse_manager', 'admin'];

const RANK: Record<Role, number> = { customer: 0, warehouse_staff: 1, warehouse_manager: 2, admin: 3 };

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Role from the `cognito:groups` claim: the highest known group; no known group → customer. */
export function roleFromGroups(groups: unknown): Role {
  if (!Array.isArray(groups)) return 'customer';
  let best: Role = 'customer';
  for (const g of groups) {
    if (g === 'customer' || !isRole(g)) continue;
    if (RANK[g] > RANK[best]) best = g;
  }
  return best;
}

export const canUseConsole = (role: Role) => role !== 'customer';

export type Area =
  | 'dashboard'
  | 'products'
  | 'products.write'
  | 'shipping'
  | 'shipping.ship'
  | 'categories'
  | 'orders'
  | 'payments'
  | 'sales'
  | 'users'
  | 'warehouses'
  | 'warehouses.write'
  | 'stock'
  | 'stock.manage'
  | 'movements';

const A: Role[] = ['admin'];
const AM: Role[] = ['admin', 'warehouse_manager'];
const AMS: Role[] = ['admin', 'warehouse_manager', 'warehouse_staff'];

export const MATRIX: Record<Area, readonly Role[]> = {
  dashboard: AMS,
  products: AMS,
  'products.write': AM,
  shipping: AMS,
  'shipping.ship': AM,
  categories: A,
  orders: A,
  payments: A,
  sales: A,
  users: A,
  warehouses: AMS,
  'warehouses.write': AM,
  stock: AMS,
  'stock.manage': AM,
  movements: AMS,
};

export function can(role: Role | undefined | null, area: Area): boolean {
  return !!role && MATRIX[area].includes(role);
}

/** The area a console page belongs to, or null for pages every console user may open. */
export function areaOfPath(pathname: string): Area | null {
  const p = pathname.replace(/\/+$/, '') || '/';
  if (p === '/') return 'dashboard';
  if (p === '/products/new' || /^\/products\/[^/]+\/edit$/.test(p)) return 'products.write';
  const first = p.split('/')[1];
  switch (first) {
    case 'products':
      return 'products';
    case 'categories':
      return 'categories';
    case 'orders':
      return 'orders';
    case 'shipping':
      return 'shipping';
    case 'payments':
      return 'payments';
    case 'sales':
      return 'sales';
    case 'users':
      return 'users';
    case 'warehouses':
      return 'warehouses';
    case 'stock':
      return 'stock';
    case 'movements':
      return 'movements';
    default:
      return null;
  }
}

export const ROLE_LABELS: Record<Role, string> = {
  customer: 'Customer',
  warehouse_staff: 'Warehouse staff',
  warehouse_manager: 'Warehouse manager',
  admin: 'Admin',
};
