// Demo data the sample CSVs and the wizard's example rows rely on (src/mapping/schema.cpp). Ids are fixed:
// change them and every sample CSV stops validating.

export const DEMO_TOKEN = 'demo-token';

export const ACCOUNT = { id: 'acc_demo', name: 'Demo Account' };

const roleSet = (prefix) => [
  { id: `${prefix}-3c1e-4d2a-9b47-2f6a1c9e8d01`, name: 'Admin' },
  { id: `${prefix}-3c1e-4d2a-9b47-2f6a1c9e8d02`, name: 'Editor' },
  { id: `${prefix}-3c1e-4d2a-9b47-2f6a1c9e8d03`, name: 'Viewer' },
];

const nodeSet = (prefix) => [
  { id: `${prefix}-6f5e-4d7c-8b9a-0e1f2a3b4c01`, name: 'Headquarters' },
  { id: `${prefix}-6f5e-4d7c-8b9a-0e1f2a3b4c02`, name: 'Berlin office' },
  { id: `${prefix}-6f5e-4d7c-8b9a-0e1f2a3b4c03`, name: 'Lisbon office' },
];

const clientSet = () => [
  { client_id: 'dashboard-web', name: 'Dashboard (web)' },
  { client_id: 'mobile-app', name: 'Mobile app' },
  { client_id: 'backend-sync', name: 'Backend sync' },
];

// Both environments exist from signup and start empty. Production gets its own role and node ids so a
// client that sends Development ids to Production gets unknown_role / unknown_node.
export const ENVIRONMENTS = [
  { id: 'env_dev', name: 'Development', roles: roleSet('5b0f7a53'), nodes: nodeSet('8d3c2b1a'), clients: clientSet() },
  { id: 'env_prod', name: 'Production', roles: roleSet('6b0f7a53'), nodes: nodeSet('9d3c2b1a'), clients: clientSet() },
];

export const APPLICATIONS = [
  { id: 'a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a01', name: 'Customer Portal' },
  { id: 'a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a02', name: 'Partner Hub' },
];
