import { ButtonLink } from '@/components/ui';

export default function OrderNotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-semibold">Order not found</h1>
      <p className="mt-2 text-gray-600">Check the link, or find the order in your list.</p>
      <div className="mt-6">
        <ButtonLink href="/orders">Your orders</ButtonLink>
      </div>
    </div>
  );
}
