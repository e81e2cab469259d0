import type { ReactNode } from 'react';

export interface PanelProps {
  id: string;
  title: string;
  sub?: ReactNode;
  actions?: ReactNode;
  testId?: string;
  className?: string;
  children: ReactNode;
  ref?: React.Ref<HTMLElement>;
}

/** A titled section of the dashboard; its heading labels the region for assistive technology. */
export function Panel({ id, title, sub, actions, testId, className, children, ref }: PanelProps) {
  return (
    <section
      ref={ref}
      id={id}
      className={`panel ${className ?? ''}`}
      aria-labelledby={`${id}-title`}
      data-testid={testId}
    >
      <div className="panel-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {sub && <span className="sub">{sub}</span>}
        {actions && <div className="actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
