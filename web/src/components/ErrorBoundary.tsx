// A rendering bug in one screen shows a way out instead of a white page; the details go to the
// console for developers, never to the screen.
import { Button, Result } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { tr } from '../i18n';

interface State {
  failed: boolean;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('screen failed', error, info.componentStack);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Result
        status="error"
        title={tr('app.crashed', 'Something went wrong.')}
        extra={<Button type="primary" onClick={() => window.location.reload()}>{tr('app.reload', 'Reload')}</Button>}
      />
    );
  }
}
