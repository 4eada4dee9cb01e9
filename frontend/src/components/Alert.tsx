import type { ReactNode } from "react";

interface AlertProps {
  children: ReactNode;
  testId: string;
  onRetry?: () => void;
}

/** A problem the person should know about now, announced by screen readers, optionally retryable. */
export function Alert({ children, testId, onRetry }: AlertProps) {
  return (
    <div role="alert" className="alert" data-testid={testId}>
      <p>{children}</p>
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
