'use client';
import { ErrorView } from '@/components/ErrorView';

export default ErrorView;
