"""Reading input: file bytes and encodings, the YAML tree, pictures, the folders of a district."""
