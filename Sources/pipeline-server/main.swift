print("pipeline-server: not built yet")
