print("qapi-gen")
