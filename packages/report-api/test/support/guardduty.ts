/**
 * GuardDuty findings shaped as AWS documents them (finding format, schema 2.0), for tests: the
 * fields Watchpost reads, and enough of the rest to look like an export.
 */
interface FindingSpec {
  id: string;
  type: string;
  severity: number;
  /** Remote IPs of the action; none for findings without one. */
  ips?: string[];
  action?: 'networkConnectionAction' | 'awsApiCallAction' | 'portProbeAction';
  lastSeen: string;
  count?: number;
  country?: string;
}

export function guardDutyFinding(spec: FindingSpec): Record<string, unknown> {
  const remote = (ip: string) => ({
    ipAddressV4: ip,
    country: { countryCode: spec.country ?? 'CN', countryName: 'China' },
    organization: { asn: '64500', asnOrg: 'EXAMPLE', isp: 'Example', org: 'Example' },
  });
  const ips = spec.ips ?? [];
  const kind = spec.action ?? 'networkConnectionAction';
  const action =
    ips.length === 0
      ? { actionType: 'DNS_REQUEST', dnsRequestAction: { domain: 'example.com', protocol: 'UDP', blocked: false } }
      : kind === 'portProbeAction'
        ? {
            actionType: 'PORT_PROBE',
            portProbeAction: {
              blocked: false,
              portProbeDetails: ips.map((ip) => ({
                localPortDetails: { port: 22, portName: 'SSH' },
                remoteIpDetails: remote(ip),
              })),
            },
          }
        : kind === 'awsApiCallAction'
          ? {
              actionType: 'AWS_API_CALL',
              awsApiCallAction: {
                api: 'ListBuckets',
                serviceName: 's3.amazonaws.com',
                remoteIpDetails: remote(ips[0]!),
              },
            }
          : {
              actionType: 'NETWORK_CONNECTION',
              networkConnectionAction: {
                connectionDirection: 'INBOUND',
                protocol: 'TCP',
                blocked: false,
                remoteIpDetails: remote(ips[0]!),
                localPortDetails: { port: 22, portName: 'SSH' },
              },
            };
  return {
    schemaVersion: '2.0',
    accountId: '123456789012',
    region: 'ap-northeast-1',
    partition: 'aws',
    id: spec.id,
    arn: `arn:aws:guardduty:ap-northeast-1:123456789012:detector/d1/finding/${spec.id}`,
    type: spec.type,
    resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0abc123', instanceType: 't3.micro' } },
    service: {
      serviceName: 'guardduty',
      detectorId: 'd1',
      action,
      archived: false,
      count: spec.count ?? 1,
      eventFirstSeen: spec.lastSeen,
      eventLastSeen: spec.lastSeen,
      resourceRole: 'TARGET',
    },
    severity: spec.severity,
    createdAt: spec.lastSeen,
    updatedAt: spec.lastSeen,
    title: `${spec.type} was seen`,
    description: 'A finding.',
  };
}
