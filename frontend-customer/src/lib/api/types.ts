// Shapes of the service objects the shop reads (api/*.md).

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
  category: { id: string; name: string } | null;
  created_at?: string;
  updated_at?: string;
};

export type CartLine = {
  id: string;
  user_id: string;
  product_id: string;
  product_name: string;
  product_image_url: string;
  product_price: number;
  product_quantity: number;
  note: string;
};

export type Address = { street: string; city: string; state: string; zipcode: string };

export type OrderStatus = 'PENDING' | 'PAYMENT_ACCEPTED' | 'ON_DELIVERY' | 'DELIVERED' | 'FAILED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED';

export type OrderItem = {
  id?: string;
  product_id: string;
  product_name: string;
  image_url: string;
  price: number;
  quantity: number;
  shipping_cost: number;
  note: string;
};

export type Order = {
  id: string;
  user_id: string;
  status: OrderStatus;
  total_price: number;
  subtotal: number;
  shipping_total: number;
  payment_id: string;
  payment_status: '' | 'PENDING' | 'APPROVED' | 'REJECTED';
  payment_note: string;
  payment_deadline: string | null;
  refund_status: '' | 'DUE' | 'REFUNDED';
  status_note: string;
  items: OrderItem[];
  address: Address & { note: string };
  created_at: string;
  updated_at: string;
};

export type HistoryEntry = { id: string; from_status: string | null; to_status: OrderStatus; note: string; actor: string; created_at: string };

export type Ttl = { ttl_seconds: number; payment_deadline: string | null };

export type Quote = {
  subtotal: number;
  shipping_total: number;
  total_price: number;
  items: { product_id: string; product_name: string; price: number; quantity: number; shipping_cost: number }[];
};

export type Payment = {
  id: string;
  orderId: string;
  imageUrl: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  contentType: string;
  adminNote: string | null;
  createdAt: string;
};

export type User = {
  user_id: string;
  username: string;
  email: string;
  name: string | null;
  phone_number: string | null;
  address: Address | null;
  role: string;
};

export type LoginData = {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user_id: string;
  username: string;
  role: string;
};
