// Capability profile: Amazon VPC CNI.
import { UPSTREAM, confirmed, fixed, type ProfileFamily } from '../profile.js';

export const AWS_VPC_CNI: ProfileFamily = {
  name: 'aws-vpc-cni',
  displayName: 'Amazon VPC CNI with the network policy agent',
  capabilities: fixed({ ...UPSTREAM, namedPorts: 'unknown' }),
  sources: {
    enforcement: confirmed('https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html'),
    ipBlockExcept: confirmed('https://github.com/aws/aws-network-policy-agent/blob/main/pkg/fwruleprocessor/fw_rule_processor.go'),
  },
};
