// product service calls of the shop (frontends.md §2.4; api/product.md).
import { type Call, query } from './envelope';
import type { Category, CategoryNode, Product } from './types';

export type ProductSort = '-created_at' | 'price' | '-price' | 'name';
export type ProductQuery = { q?: string; category_id?: string; sort?: ProductSort; skip?: number; limit?: number };

export const productApi = (call: Call) => ({
  /** Search mode (any parameter): `data` + `count`. */
  search: (p: ProductQuery) => call<Product[]>('product', 'GET', `/v1/products${query({ sort: '-created_at', limit: 12, skip: 0, ...p })}`, { listy: true }),
  get: (id: string) => call<Product>('product', 'GET', `/v1/products/${encodeURIComponent(id)}`),
  tree: () => call<CategoryNode[]>('product', 'GET', '/v1/categories/', { listy: true }),
  category: (id: string) => call<Category>('product', 'GET', `/v1/categories/${encodeURIComponent(id)}`),
  children: (id: string) => call<Category[]>('product', 'GET', `/v1/categories/parent/${encodeURIComponent(id)}`, { listy: true }),
});
