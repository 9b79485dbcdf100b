// Server paging links (frontends.md §2.1: 12 per page).
import Link from 'next/link';

export function Pagination({ page, pageSize, count, hrefFor }: { page: number; pageSize: number; count: number; hrefFor: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label="Pagination" data-testid="pagination" className="mt-8 flex items-center justify-center gap-3 text-sm">
      {page > 1 ? (
        <Link prefetch={false} href={hrefFor(page - 1)} className="rounded border border-gray-300 px-3 py-1.5 hover:bg-gray-50">
          Previous
        </Link>
      ) : null}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link prefetch={false} href={hrefFor(page + 1)} className="rounded border border-gray-300 px-3 py-1.5 hover:bg-gray-50">
          Next
        </Link>
      ) : null}
    </nav>
  );
}
