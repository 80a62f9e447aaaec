/**
 * Autonomous systems of the large hosting and cloud providers. Traffic from them comes from
 * servers, not people: normal for a production app, odd for an education or research account, and
 * meaningless as a linking trait (unrelated customers share the same cloud ranges). Both the
 * access-path and the linkage detectors take this list as their default; configuration replaces it.
 */
export const DEFAULT_HOSTING_ASNS: readonly number[] = [
  16509, // Amazon AWS
  14618, // Amazon AWS (us-east-1)
  15169, // Google
  396982, // Google Cloud
  8075, // Microsoft Azure
  14061, // DigitalOcean
  24940, // Hetzner
  16276, // OVH
  20473, // Vultr (Choopa)
  63949, // Akamai Connected Cloud (Linode)
  45102, // Alibaba Cloud
  37963, // Alibaba Cloud (Hangzhou)
  132203, // Tencent Cloud
  45090, // Tencent Cloud (Shenzhen)
  31898, // Oracle Cloud
  51167, // Contabo
];
