//go:build tools

// Package tools records helm's main package built by
// hack/install-controlplane.sh, so that `go mod tidy` keeps its
// dependencies. Kept apart from tools/controlplane so helm builds with the
// dependency versions it was released with.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
