// Renders an explained verdict: each side's isolating policies and the rules that allow which connections.
import { describeSide, type AdminPairExplanation, type ConnectionSet, type DescribedSide, type ExplainLine, type PortProtocol } from '@kubereach/core';
import type { Locations } from './report-issues.js';
import type { Style } from './terminal.js';

export interface PortQuery {
  readonly protocol: PortProtocol;
  readonly port: number;
}

function describe(side: DescribedSide, locations: Locations, style: Style, query: PortQuery | undefined): string[] {
  const lines = describeSide(side).map((line) => renderLine(line, locations, style));
  if (query !== undefined) {
    const allowed = side.connections.allows(query.protocol, query.port);
    const verdict = `${query.protocol} ${query.port} ${allowed ? 'allowed' : 'denied'} on this side`;
    lines[0] = `${lines[0]} (${allowed ? style.green(verdict) : style.red(verdict)})`;
  }
  return lines;
}

function renderLine(line: ExplainLine, locations: Locations, style: Style): string {
  return line
    .map((segment) => {
      if (typeof segment === 'string') return segment;
      if ('subject' in segment) return style.bold(segment.subject);
      if ('verdict' in segment) return colorConnections(segment.verdict, style);
      return ` at ${locations.format(segment.at)}`;
    })
    .join('');
}

function colorConnections(connections: ConnectionSet, style: Style): string {
  return connections.isEmpty ? style.red(connections.toString()) : style.green(connections.toString());
}

export function renderExplanation(
  explanation: AdminPairExplanation,
  locations: Locations,
  style: Style,
  query: PortQuery | undefined,
): string {
  const header = `${explanation.source.id} => ${explanation.destination.id}`;
  const lines: string[] = [];
  if (query === undefined) {
    lines.push(`${style.bold(header)}: ${colorConnections(explanation.connections, style)}`);
  } else {
    const allowed = explanation.connections.allows(query.protocol, query.port);
    lines.push(`${style.bold(header)} on ${query.protocol} ${query.port}: ${allowed ? style.green('ALLOWED') : style.red('DENIED')}`);
    lines.push(`  (all allowed: ${explanation.connections.toString()})`);
  }
  lines.push('', ...describe(explanation.egress, locations, style, query), ...describe(explanation.ingress, locations, style, query));
  if (explanation.source === explanation.destination) lines.push('', 'a workload may always talk to itself (loopback)');
  return `${lines.join('\n')}\n`;
}
