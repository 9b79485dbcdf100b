'use client';
// product service (api/product.md): catalogue and categories.
import { call, upload, type Query } from './client';
import type { CategoryNode, Category, Product } from './types';

export type ProductQuery = { q?: string; category_id?: string; sort?: string; skip?: number; limit?: number };

export const listProducts = (q: ProductQuery) => call<Product[]>('product', '/v1/products', { query: { skip: 0, limit: 20, ...q } as Query, list: true });
export const getProduct = (id: string) => call<Product>('product', `/v1/products/${encodeURIComponent(id)}`).then((r) => r.data);
export const createProduct = (form: FormData, onProgress: (p: number) => void) => upload<Product>('product', '/v1/products', 'POST', form, onProgress);
export const updateProduct = (id: string, form: FormData, onProgress: (p: number) => void) =>
  upload<Product>('product', `/v1/products/${encodeURIComponent(id)}`, 'PUT', form, onProgress);
export const deleteProduct = (id: string) => call<null>('product', `/v1/products/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const categoryTree = () => call<CategoryNode[]>('product', '/v1/categories', { list: true }).then((r) => r.data);
export const createCategory = (name: string, parent_id: string) => call<Category>('product', '/v1/categories', { method: 'POST', json: { name, parent_id } });
export const renameCategory = (id: string, name: string) => call<Category>('product', `/v1/categories/${encodeURIComponent(id)}`, { method: 'PUT', json: { name } });
export const deleteCategory = (id: string) => call<null>('product', `/v1/categories/${encodeURIComponent(id)}`, { method: 'DELETE' });
