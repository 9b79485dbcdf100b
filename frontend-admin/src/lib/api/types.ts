// Wire shapes the admin app reads (api/*.md). Only the fields the console uses are named.

export type Category = { id: string; name: string; parent_id: string };
export type CategoryNode = Category & { childs: CategoryNode[] };

export type Product = {
  id: string;
  sku: string;
  name: string;
  image_url: string;
  description: string;
  price: number;
  quantity: number;
  category_id: string;
  category?: { id: string; name: string } | null;
  created_at?: string;
  updated_at?: string;
  version?: number;
};

export type OrderStatus = 'PENDING' | 'PAYMENT_ACCEPTED' | 'ON_DELIVERY' | 'DELIVERED' | 'FAILED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED';
export const ORDER_STATUSES: OrderStatus[] = ['PENDING', 'PAYMENT_ACCEPTED', 'ON_DELIVERY', 'DELIVERED', 'FAILED', 'REJECTED', 'EXPIRED', 'CANCELLED'];

export type Allocation = { warehouse_id: string; quantity: number; shipping_cost: number };
export type OrderItem = {
  id: string;
  order_id: string;
  product_id: string;
  product_name: string;
  image_url: string;
  price: number;
  quantity: number;
  shipping_cost: number;
  note: string;
  sku?: string;
  allocations?: Allocation[];
};
export type Address = { street: string; city: string; state: string; zipcode: string; note?: string };
export type Order = {
  id: string;
  user_id: string;
  status: OrderStatus;
  total_price: number;
  subtotal: number;
  shipping_total: number;
  payment_id: string;
  payment_status: '' | 'PENDING' | 'APPROVED' | 'REJECTED';
  payment_image_url: string;
  payment_note: string;
  payment_deadline: string | null;
  refund_status: '' | 'DUE' | 'REFUNDED';
  refund_note: string;
  status_note: string;
  items: OrderItem[];
  address: Address;
  created_at: string;
  updated_at: string;
};
export type HistoryEntry = {
  id: string;
  order_id: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus;
  note: string;
  actor: string;
  actor_id: string | null;
  created_at: string;
};

export type PaymentStatus = 'PENDING' | 'APPROVED' | 'REJECTED';
export type Payment = {
  id: string;
  orderId: string;
  imageUrl: string;
  status: PaymentStatus;
  note: string;
  createdAt: string;
  updatedAt: string;
  userId: string;
  totalAmount: number;
  contentType: string;
  sizeBytes: number;
  imageUrlExpiresAt: string;
  adminNote: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
};

export type Warehouse = {
  id: string;
  name: string;
  street: string;
  city: string;
  state: string;
  zip_code: string;
  is_main_warehouse: boolean;
  created_at?: string;
  updated_at?: string;
};
export type StockRow = {
  id: string;
  warehouse_id: string;
  warehouse_name: string;
  product_id: string;
  product_sku: string;
  product_name: string;
  product_image_url: string;
  product_price: number;
  product_quantity: number;
  reserved_quantity: number;
  on_hand_quantity: number;
  low_stock_threshold: number;
  low_stock: boolean;
  deleted_at: string | null;
};
export type MovementType = 'INITIAL' | 'TRANSFER' | 'SHIPMENT' | 'ADJUSTMENT';
export type Movement = {
  id: string;
  type: MovementType;
  product_id: string;
  product_name: string;
  quantity: number;
  from_warehouse_id: string;
  to_warehouse_id: string;
  to_user_id: string;
  order_id: string | null;
  created_by: string | null;
  note: string | null;
  created_at: string;
};

export type SaleRow = {
  id: string;
  user_id: string;
  order_id: string;
  product_id: string;
  product_quantity: number;
  margin_per_product: number;
  created_at: string;
  product_name: string;
  sku: string;
  warehouse_id: string;
  price: number;
  cost_price: number | null;
  revenue: number;
  margin_total: number;
  margin_source: string;
  kind: 'sale' | 'reversal';
};
export type SalesTotals = {
  revenue: number;
  quantity: number;
  margin: number;
  margin_rate: number | null;
  orders: number;
  reversals: number;
  lines: number;
};
export type SalesBucket = { start: string; label: string; revenue: number; quantity: number; margin: number; orders: number; reversals: number };
export type SalesSummary = { from: string | null; to: string | null; interval: string; tz: string; totals: SalesTotals; buckets: SalesBucket[] };

export type User = {
  user_id: string;
  username: string;
  email: string;
  email_verified: boolean;
  name: string | null;
  phone_number: string | null;
  role: 'customer' | 'warehouse_staff' | 'warehouse_manager' | 'admin';
  groups: string[];
  status: string;
  enabled: boolean;
  created_at: string;
  updated_at: string;
};
export type UserPage = { users: User[]; next_token: string | null };
