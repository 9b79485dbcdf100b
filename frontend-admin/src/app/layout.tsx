import type { Metadata } from 'next';
import { Toaster } from 'sonner';
import { SessionProvider } from '@/components/SessionProvider';
import { productImageMaxBytes } from '@/lib/config';
import { currentUser } from '@/lib/session/server';
import './globals.css';

export const metadata: Metadata = { title: 'Eshop Admin', description: 'Eshop administration console' };
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        <SessionProvider
          user={user ? { username: user.username, name: user.name, role: user.role } : null}
          config={{ productImageMaxBytes: productImageMaxBytes() }}
        >
          {children}
        </SessionProvider>
        <Toaster position="bottom-right" richColors closeButton />
      </body>
    </html>
  );
}
