// Stands in for @lit/react where it is not installed: a declaration that imports from it fails.
export {};
