package gguf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	dockerconfig "github.com/docker/cli/cli/config"
	dockertypes "github.com/docker/cli/cli/config/types"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/exporter/containerimage/exptypes"
	gateway "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/auth/authprovider"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// hfSecretID names the session secret that carries the Hub's Authorization header, so the
// token travels over the session and never appears in LLB or the build cache keys.
const hfSecretID = "kubefoundry-hf-authorization"

// Dialer connects to a BuildKit daemon; used for addresses client.New cannot reach itself.
type Dialer func(ctx context.Context, address string) (net.Conn, error)

func buildBuildKit(ctx context.Context, spec *Spec, info *ModelInfo) (string, error) {
	if spec.Builder == "" {
		return "", errors.New(`method "buildkit" needs builder.address (unix://, tcp:// or kube-pod://), or use method "direct"`)
	}
	osName, arch, variant, err := parsePlatform(spec.Platform)
	if err != nil {
		return "", err
	}
	platform := ocispecs.Platform{OS: osName, Architecture: arch, Variant: variant}
	baseRef, err := spec.baseRef()
	if err != nil {
		return "", err
	}
	dst, err := spec.Registry.tagRef(spec.Repository, spec.Tag)
	if err != nil {
		return "", err
	}
	c, err := newBuildKitClient(ctx, spec.Builder, spec.KubePodDialer)
	if err != nil {
		return "", err
	}
	defer c.Close()

	attachables := []session.Attachable{authprovider.NewDockerAuthProvider(authprovider.DockerAuthProviderConfig{
		AuthConfigProvider: spec.Registry.buildKitAuth(spec.Repository),
	})}
	if spec.Source.Token != "" {
		attachables = append(attachables, secretsprovider.FromMap(map[string][]byte{hfSecretID: []byte("Bearer " + spec.Source.Token)}))
	}

	exportAttrs := map[string]string{
		string(exptypes.OptKeyName):             dst.String(),
		string(exptypes.OptKeyPush):             "true",
		string(exptypes.OptKeyOCITypes):         "true",
		string(exptypes.OptKeyLayerCompression): "gzip",
		string(exptypes.OptKeyCompressionLevel): "1", // GGUF barely compresses; spend no CPU on it
		string(exptypes.OptKeyRewriteTimestamp): "true",
		string(exptypes.OptKeySourceDateEpoch):  "0",
		string(exptypes.OptKeyForceCompression): "false",
		string(exptypes.OptKeyInsecure):         fmt.Sprint(spec.Registry.Insecure),
	}
	opt := client.SolveOpt{
		Exports: []client.ExportEntry{{Type: client.ExporterImage, Attrs: exportAttrs}},
		Session: attachables,
	}

	build := func(ctx context.Context, gw gateway.Client) (*gateway.Result, error) {
		_, baseDigest, rawCfg, err := gw.ResolveImageConfig(ctx, baseRef.String(), sourceresolver.Opt{
			ImageOpt: &sourceresolver.ResolveImageOpt{Platform: &platform, ResolveMode: llb.ResolveModeDefault.String()},
		})
		if err != nil {
			return nil, fmt.Errorf("base image %s: %w", spec.BaseImage, err)
		}
		var baseCfg v1.ConfigFile
		if err := json.Unmarshal(rawCfg, &baseCfg); err != nil {
			return nil, fmt.Errorf("base image %s config: %w", spec.BaseImage, err)
		}
		cfg, err := json.Marshal(modelConfig(&baseCfg, spec, info))
		if err != nil {
			return nil, err
		}
		// Pin the base to the digest whose config was merged, so layers and config match.
		base := baseRef.Context().String() + "@" + baseDigest.String()
		def, err := modelLLB(spec, info, base, platform).Marshal(ctx, llb.Platform(platform))
		if err != nil {
			return nil, err
		}
		res, err := gw.Solve(ctx, gateway.SolveRequest{Definition: def.ToPB()})
		if err != nil {
			return nil, err
		}
		res.AddMeta(exptypes.ExporterImageConfigKey, cfg)
		return res, nil
	}

	spec.progress("building %s with BuildKit at %s", dst, redactAddress(spec.Builder))
	status := make(chan *client.SolveStatus)
	done := make(chan struct{})
	go func() {
		defer close(done)
		reportStatus(status, spec.progress)
	}()
	resp, err := c.Build(ctx, opt, "kubefoundry", build, status)
	<-done
	if err != nil {
		if strings.Contains(err.Error(), "digest mismatch") {
			return "", fmt.Errorf("%w: %s/%s: BuildKit downloaded bytes that do not match the Hub's LFS sha256 %s: %v", ErrChecksumMismatch, spec.Source.Model, spec.Source.File, info.SHA256, err)
		}
		return "", fmt.Errorf("building %s: %w", dst, err)
	}
	dgst := resp.ExporterResponse[exptypes.ExporterImageDigestKey]
	if dgst == "" {
		return "", fmt.Errorf("building %s: BuildKit returned no image digest", dst)
	}
	spec.progress("pushed %s@%s", dst, dgst)
	return dgst, nil
}

// modelLLB is the build graph: the base image merged with a layer holding only the model,
// fetched by BuildKit's HTTP source with the Hub's checksum. A gated model's token is named
// by a session secret, so it never appears in the graph or in cache keys.
func modelLLB(spec *Spec, info *ModelInfo, base string, platform ocispecs.Platform) llb.State {
	file := strings.TrimPrefix(spec.ModelPath(), ModelDir+"/")
	httpOpts := []llb.HTTPOption{
		llb.Checksum(digest.NewDigestFromEncoded(digest.SHA256, info.SHA256)),
		llb.Filename(file),
		llb.Chmod(0o644),
		llb.WithCustomName("download " + spec.Source.Model + "/" + spec.Source.File),
	}
	if spec.Source.Token != "" {
		httpOpts = append(httpOpts, llb.AuthHeaderSecret(hfSecretID))
	}
	model := llb.HTTP(info.URL, httpOpts...)
	modelLayer := llb.Scratch().File(
		llb.Copy(model, "/"+file, spec.ModelPath(), &llb.CopyInfo{CreateDestPath: true}),
		llb.WithCustomName("add "+spec.ModelPath()))
	// Merge keeps the model in its own layer, independent of the base's layers.
	return llb.Merge([]llb.State{llb.Image(base, llb.Platform(platform)), modelLayer})
}

func newBuildKitClient(ctx context.Context, address string, kubePodDialer func(string) (Dialer, error)) (*client.Client, error) {
	var opts []client.ClientOpt
	switch {
	case strings.HasPrefix(address, "unix://"), strings.HasPrefix(address, "tcp://"):
	case strings.HasPrefix(address, "kube-pod://"):
		if kubePodDialer == nil {
			return nil, errors.New("builder address kube-pod:// needs the provider's Kubernetes connection")
		}
		d, err := kubePodDialer(address)
		if err != nil {
			return nil, err
		}
		opts = append(opts, client.WithContextDialer(d))
	default:
		return nil, fmt.Errorf("builder address %q: want unix://, tcp:// or kube-pod://", address)
	}
	c, err := client.New(ctx, address, opts...)
	if err != nil {
		return nil, fmt.Errorf("connecting to BuildKit at %s: %w", redactAddress(address), err)
	}
	return c, nil
}

// redactAddress drops any query string (may carry credentials) from a builder address.
func redactAddress(a string) string {
	if i := strings.IndexByte(a, '?'); i >= 0 {
		return a[:i]
	}
	return a
}

// buildKitAuth gives BuildKit the configured credentials for the push registry and the local
// docker config for any other registry (the base image's).
func (r Registry) buildKitAuth(repository string) authprovider.AuthConfigProvider {
	pushHost, _ := r.PushHost(repository)
	var fallback authprovider.AuthConfigProvider
	return func(ctx context.Context, host string, scopes []string, check authprovider.ExpireCachedAuthCheck) (dockertypes.AuthConfig, error) {
		if host == pushHost && (r.Username != "" || r.Password != "") {
			return dockertypes.AuthConfig{ServerAddress: host, Username: r.Username, Password: r.Password}, nil
		}
		if fallback == nil {
			fallback = authprovider.LoadAuthConfig(dockerconfig.LoadDefaultConfigFile(io.Discard))
		}
		return fallback(ctx, host, scopes, check)
	}
}
