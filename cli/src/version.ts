// The kubereach version, shared by --version and the reports that name the tool.
export const VERSION = '0.1.0';
