package epptest

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	extprocv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// destinationHeader is where the picker puts the endpoint it chose ("<pod IP>:<target port>"):
// metadata.DestinationEndpointKey in llm-d-router v0.10.0 pkg/epp/metadata/consts.go, the
// header the Inference Extension's protocol names for the gateway.
const destinationHeader = "x-gateway-destination-endpoint"

// envoyStandIn plays the gateway data plane (stand-in for Envoy's ext_proc filter, which does
// not run here): for each request it opens an ext_proc stream to the picker, sends the
// request headers and then the whole body with end_of_stream, as Envoy's ext_proc filter
// does with request_body_mode FULL_DUPLEX_STREAMED (the Envoy configuration of llm-d-router
// v0.10.0 config/charts/llm-d-router-standalone/values.yaml), and reads back where the picker
// routes it.
type envoyStandIn struct {
	conn *grpc.ClientConn
}

// newEnvoyStandIn connects to the picker's ext_proc port. The picker serves TLS with a
// certificate it generates itself (--secure-serving, default true); gateways skip its
// verification (insecureSkipVerify in llm-d-router-gateway/templates/istio.yaml @ v0.10.0).
func newEnvoyStandIn(addr string) (*envoyStandIn, error) {
	//nolint:gosec // the picker's self-signed certificate, as gateways accept it
	creds := credentials.NewTLS(&tls.Config{InsecureSkipVerify: true, NextProtos: []string{"h2"}})
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, err
	}
	return &envoyStandIn{conn: conn}, nil
}

func (e *envoyStandIn) Close() error { return e.conn.Close() }

// pick sends one OpenAI completion request for model through the picker and returns the
// endpoint it chose.
func (e *envoyStandIn) pick(ctx context.Context, model, prompt string) (string, error) {
	h, err := e.route(ctx, model, prompt)
	return h[destinationHeader], err
}

// route sends one OpenAI completion request for model through the picker and returns the
// request headers it sets (the destination among them).
func (e *envoyStandIn) route(ctx context.Context, model, prompt string) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	stream, err := extprocv3.NewExternalProcessorClient(e.conn).Process(ctx)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]any{"model": model, "prompt": prompt, "max_tokens": 16})
	if err != nil {
		return nil, err
	}
	headers := []*corev3.HeaderValue{
		{Key: ":method", RawValue: []byte("POST")},
		{Key: ":path", RawValue: []byte("/v1/completions")},
		{Key: ":authority", RawValue: []byte("models.example.com")},
		{Key: "content-type", RawValue: []byte("application/json")},
		{Key: "content-length", RawValue: []byte(fmt.Sprint(len(body)))},
	}
	if err := stream.Send(&extprocv3.ProcessingRequest{Request: &extprocv3.ProcessingRequest_RequestHeaders{
		RequestHeaders: &extprocv3.HttpHeaders{Headers: &corev3.HeaderMap{Headers: headers}},
	}}); err != nil {
		return nil, err
	}
	if err := stream.Send(&extprocv3.ProcessingRequest{Request: &extprocv3.ProcessingRequest_RequestBody{
		RequestBody: &extprocv3.HttpBody{Body: body, EndOfStream: true},
	}}); err != nil {
		return nil, err
	}
	defer func() { _ = stream.CloseSend() }()
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the picker closed the stream without a routing decision")
		}
		if err != nil {
			return nil, err
		}
		if ir := resp.GetImmediateResponse(); ir != nil {
			return nil, fmt.Errorf("the picker answered the request itself: HTTP %d %s", ir.GetStatus().GetCode(), ir.GetBody())
		}
		h := resp.GetRequestHeaders()
		if h == nil {
			continue
		}
		set := map[string]string{}
		for _, o := range h.GetResponse().GetHeaderMutation().GetSetHeaders() {
			v := string(o.GetHeader().GetRawValue())
			if v == "" {
				v = o.GetHeader().GetValue()
			}
			set[o.GetHeader().GetKey()] = v
		}
		if set[destinationHeader] == "" {
			return nil, fmt.Errorf("request headers response without %s: %v", destinationHeader, h)
		}
		return set, nil
	}
}
