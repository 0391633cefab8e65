print("hmp")
