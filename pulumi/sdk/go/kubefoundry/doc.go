// Deploy LLMs on Kubernetes through NVIDIA Dynamo, KubeRay and KAITO.
package kubefoundry
