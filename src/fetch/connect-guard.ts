// The address check happens where the connection is made: the resolver the socket itself uses
// refuses a forbidden address, so a host name that answers differently between a check and the
// connect (DNS rebinding) cannot slip through. IP literals skip the resolver and are checked here.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { rangeWords, type AddressPolicy } from './address-policy.js';
import { FetchFailure } from './fetch-failure.js';

/** How to open connections under one address policy: the resolver to use and the keep-alive agent to pool them in. */
export interface GuardedConnection {
  lookup: LookupFunction;
  agent: http.Agent;
}

/** Builds a resolver that answers only with addresses the policy allows and fails with 'blocked-address' otherwise. */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, '', 0);
        return;
      }
      // One forbidden answer refuses the host: which address a connection would use is not ours to choose.
      for (const { address } of addresses) {
        const refusal = policy(address);
        if (refusal !== undefined) {
          callback(new FetchFailure('blocked-address', `${hostname} resolves to ${address}, ${rangeWords(refusal)}`), '', 0);
          return;
        }
      }
      const first = addresses[0];
      if (options.all === true) callback(null, addresses);
      else if (first === undefined) callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      else callback(null, first.address, first.family);
    });
  };
}

interface PolicyAgents {
  lookup: LookupFunction;
  http: http.Agent;
  https: https.Agent;
}

// One pool per policy, so a socket opened under a lenient policy is never reused under a strict one.
const AGENTS = new WeakMap<AddressPolicy, PolicyAgents>();

function agentsFor(policy: AddressPolicy): PolicyAgents {
  let agents = AGENTS.get(policy);
  if (agents === undefined) {
    const lookup = guardedLookup(policy);
    // The same keep-alive settings as node's global agent.
    const options = { keepAlive: true, scheduling: 'lifo' as const, timeout: 5000, lookup };
    agents = { lookup, http: new http.Agent(options), https: new https.Agent(options) };
    AGENTS.set(policy, agents);
  }
  return agents;
}

/** Returns how to connect to `url` under `policy`; an IP-literal host the policy forbids throws FetchFailure('blocked-address'). */
export function guardConnection(url: URL, policy: AddressPolicy): GuardedConnection {
  // WHATWG URL parsing already wrote numeric IPv4 forms (2852039166, 0xA9FEA9FE, 0251.0376.0251.0376,
  // 127.1) as dotted quads and IPv6 in its short form, so the literal is checked as it will be dialled.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) {
    const refusal = policy(host);
    if (refusal !== undefined) throw new FetchFailure('blocked-address', `${host} is ${rangeWords(refusal)}`);
  }
  const agents = agentsFor(policy);
  return { lookup: agents.lookup, agent: url.protocol === 'https:' ? agents.https : agents.http };
}
