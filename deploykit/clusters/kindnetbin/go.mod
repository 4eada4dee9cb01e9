module todo-list-hackathon/kindnetbin

go 1.24.0
