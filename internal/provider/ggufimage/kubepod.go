package ggufimage

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/httpstream" //nolint:staticcheck // SA1019: what client-go's remotecommand still takes; k8s.io/streaming is not a dependency
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/remotecommand"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/gguf"
	"github.com/kubefoundry/terraform-provider-kubefoundry/internal/providerdata"
)

var kubeName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)

// kubePodDialer reaches a buildkitd pod the way buildctl's kube-pod:// helper does
// (`buildctl dial-stdio` in the pod, the session carried over stdin/stdout), but through the
// provider's own Kubernetes connection instead of a kubectl binary. The URL's `context`
// parameter is not supported: the provider's kubernetes settings pick the cluster.
func kubePodDialer(data *providerdata.Data) func(string) (gguf.Dialer, error) {
	return func(address string) (gguf.Dialer, error) {
		u, err := url.Parse(address)
		if err != nil {
			return nil, fmt.Errorf("builder address: %w", err)
		}
		q := u.Query()
		pod, ns, container := u.Hostname(), q.Get("namespace"), q.Get("container")
		if ns == "" {
			ns = data.DefaultNamespace
		}
		if ns == "" {
			ns = "default"
		}
		for _, v := range []string{pod, ns} {
			if !kubeName.MatchString(v) {
				return nil, fmt.Errorf("builder address %q: invalid pod or namespace name %q", address, v)
			}
		}
		if q.Get("context") != "" {
			return nil, fmt.Errorf("builder address %q: the context parameter is not supported; the provider's kubernetes settings select the cluster", address)
		}
		return func(ctx context.Context, _ string) (net.Conn, error) {
			var diags diag.Diagnostics
			kc := data.KubeClient(ctx, &diags)
			if diags.HasError() {
				return nil, fmt.Errorf("kube-pod builder: %s", diags.Errors()[0].Detail())
			}
			req := kc.Typed.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).SubResource("exec").
				VersionedParams(&corev1.PodExecOptions{
					Container: container,
					Command:   []string{"buildctl", "dial-stdio"},
					Stdin:     true, Stdout: true, Stderr: true,
				}, scheme.ParameterCodec)
			ws, err := remotecommand.NewWebSocketExecutor(kc.REST, "GET", req.URL().String())
			if err != nil {
				return nil, err
			}
			spdy, err := remotecommand.NewSPDYExecutor(kc.REST, "POST", req.URL())
			if err != nil {
				return nil, err
			}
			exec, err := remotecommand.NewFallbackExecutor(ws, spdy, httpstream.IsUpgradeFailure)
			if err != nil {
				return nil, err
			}
			local, remote := net.Pipe()
			go func() {
				// The session outlives the dial call, so it must not use the dial's context.
				// Closing the pipe ends the gRPC connection, which then reports the failure.
				_ = exec.StreamWithContext(context.Background(), remotecommand.StreamOptions{Stdin: remote, Stdout: remote, Stderr: io.Discard})
				_ = remote.Close()
			}()
			return local, nil
		}, nil
	}
}
