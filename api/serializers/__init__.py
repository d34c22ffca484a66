"""What the API shows and accepts, one module per resource."""
