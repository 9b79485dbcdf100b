import { ProductForm } from '@/components/ProductForm';
import { PageHeader } from '@/components/ui';

export const dynamic = 'force-dynamic';

export default function NewProductPage() {
  return (
    <div>
      <PageHeader title="Add product" />
      <ProductForm />
    </div>
  );
}
