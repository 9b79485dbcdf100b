import { ButtonLink } from '@/components/ui';

export default function ProductNotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-semibold">This product is not available</h1>
      <p className="mt-2 text-gray-600">It may have been removed from the shop.</p>
      <div className="mt-6">
        <ButtonLink href="/products">Browse products</ButtonLink>
      </div>
    </div>
  );
}
