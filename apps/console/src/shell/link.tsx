import type { ComponentChildren } from 'preact';
import { onLinkClick } from './router';

export function Link(props: { href: string; class?: string; children: ComponentChildren; title?: string }) {
  return (
    <a href={props.href} class={props.class} title={props.title} onClick={onLinkClick}>
      {props.children}
    </a>
  );
}
