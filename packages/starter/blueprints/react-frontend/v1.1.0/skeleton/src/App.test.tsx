import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderToStaticMarkup } from 'react-dom/server';
import { App } from './App';
import { GreetingCard } from './components/GreetingCard';
import { appConfig } from './config';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('App', () => {
  it('shows the title, the service and its system, and waits for the backend', () => {
    const html = renderToStaticMarkup(<App load={() => new Promise(() => undefined)} />);
    assert.ok(html.includes(`<h1>${escapeHtml(appConfig.title)}</h1>`), html);
    assert.ok(html.includes(`${appConfig.service} · part of ${appConfig.system}`), html);
    assert.match(html, /aria-busy="true"/);
  });
});

describe('GreetingCard', () => {
  it('shows the message', () => {
    const html = renderToStaticMarkup(<GreetingCard state={{ status: 'ready', message: 'Hello, visitor!' }} />);
    assert.match(html, /<p class="message">Hello, visitor!<\/p>/);
  });

  it('shows the error as an alert with a retry button', () => {
    const html = renderToStaticMarkup(
      <GreetingCard state={{ status: 'failed', error: 'The backend answered 502 Bad Gateway.' }} onRetry={() => undefined} />,
    );
    assert.match(html, /role="alert"/);
    assert.match(html, /The backend answered 502 Bad Gateway\./);
    assert.match(html, /<button type="button">Try again<\/button>/);
  });
});
