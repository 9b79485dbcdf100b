// Footer with category links and a contact mailto (frontends.md §2).
import Link from 'next/link';

export function Footer() {
  return (
    <footer className="mt-16 border-t border-gray-200 bg-gray-50">
      <div className="mx-auto flex max-w-6xl flex-wrap justify-between gap-6 px-4 py-8 text-sm text-gray-700">
        <div>
          <p className="text-lg font-bold">Eshop</p>
          <p>Cars and motorcycles for your lifestyle.</p>
        </div>
        <nav aria-label="Footer">
          <ul className="space-y-1">
            <li>
              <Link prefetch={false} href="/category/0193ec82-749f-7ad6-b194-65eaf0de698f" className="hover:underline">
                Car
              </Link>
            </li>
            <li>
              <Link prefetch={false} href="/category/0193ec82-892a-7ebd-89e9-5500bfb5a634" className="hover:underline">
                Motor
              </Link>
            </li>
            <li>
              <Link prefetch={false} href="/products" className="hover:underline">
                All products
              </Link>
            </li>
          </ul>
        </nav>
        <p>
          Questions? <a href="mailto:contact@eshop.example" className="underline">contact@eshop.example</a>
        </p>
      </div>
    </footer>
  );
}
