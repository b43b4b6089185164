import { describe, expect, it } from 'vitest';
import { ConnectionSet } from './connection-set.js';

describe('ConnectionSet', () => {
  it('prints the connlist notation: protocols in alphabetical order, ports merged', () => {
    const set = ConnectionSet.ports('UDP', 53)
      .union(ConnectionSet.ports('TCP', 8080, 8090))
      .union(ConnectionSet.ports('TCP', 80))
      .union(ConnectionSet.ports('SCTP', 9));
    expect(set.toString()).toBe('SCTP 9,TCP 80,8080-8090,UDP 53');
  });
  it('is All Connections only when portless protocols are in too', () => {
    const everyPort = ConnectionSet.allPorts('TCP').union(ConnectionSet.allPorts('UDP')).union(ConnectionSet.allPorts('SCTP'));
    expect(everyPort.isAll).toBe(false);
    expect(everyPort.toString()).toBe('SCTP 1-65535,TCP 1-65535,UDP 1-65535');
    expect(ConnectionSet.ALL.toString()).toBe('All Connections');
    expect(everyPort.union(ConnectionSet.ALL.subtract(everyPort)).isAll).toBe(true);
  });
  it('intersects per protocol', () => {
    const egress = ConnectionSet.ports('TCP', 80, 90);
    const ingress = ConnectionSet.ports('TCP', 85).union(ConnectionSet.ports('TCP', 95)).union(ConnectionSet.ports('UDP', 85));
    expect(egress.intersect(ingress).toString()).toBe('TCP 85');
    expect(ConnectionSet.ALL.intersect(ingress).equals(ingress)).toBe(true);
    expect(egress.intersect(ConnectionSet.ports('UDP', 80)).isEmpty).toBe(true);
  });
  it('names portless protocols', () => {
    expect(ConnectionSet.protocolNumber(1).toString()).toBe('ICMP');
    expect(ConnectionSet.protocolNumber(6).isEmpty).toBe(true);
    expect(ConnectionSet.ALL.subtract(ConnectionSet.allPorts('TCP')).toString()).toBe('SCTP 1-65535,UDP 1-65535,other protocols');
  });
  it('has a JSON form', () => {
    expect(ConnectionSet.ALL.toJSON()).toEqual({ all: true });
    expect(ConnectionSet.ports('TCP', 80).toJSON()).toEqual({ all: false, protocols: { TCP: [[80, 80]] } });
  });
});
