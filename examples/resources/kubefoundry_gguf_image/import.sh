# By tag or by digest; model, file, revision, base image and method come from the image's labels.
terraform import kubefoundry_gguf_image.llama localhost:30500/llama-3.2-1b-instruct:Q4_K_M
