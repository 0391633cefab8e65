import Console

// Until the console lands, list the commands the typed layer knows.
Console.printCommandList()
