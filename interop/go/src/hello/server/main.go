// The seed tutorial's HelloService server. Channel is the tutorial's method, copied verbatim
// (indentation included) from project/hello/chat/chat.go; the tutorial keeps it in package chat
// beside the generated code, so here the generated package is dot-imported to let the same text
// compile unchanged in package main. Hello answers "hello:" + value, and main listens on the
// tutorial's port 1234 with grpc.NewServer().
package main

import (
	"context"
	"io"
	"log"
	"net"

	. "hello/chat"

	"google.golang.org/grpc"
)

type Server struct{}

func (p *Server) Hello(ctx context.Context, args *String) (*String, error) {
	reply := &String{Value: "hello:" + args.GetValue()}
	return reply, nil
}

func (p *Server) Channel(stream HelloService_ChannelServer) error {
    for {
        // Server nhận dữ liệu được gửi từ client
        // trong vòng lặp.
        args, err := stream.Recv()
        if err != nil {
            // Nếu gặp `io.EOF`, client stream sẽ đóng.
            if err == io.EOF {
                return nil
            }
            return err
        }

        reply := &String{Value: "hello:" + args.GetValue()}

        // Dữ liệu trả về được  gửi đến client
        // thông qua stream và việc gửi nhận
        // dữ liệu stream hai chiều là hoàn toàn độc lập
        err = stream.Send(reply)
        if err != nil {
            return err
        }
    }
}

func main() {
	grpcServer := grpc.NewServer()
	RegisterHelloServiceServer(grpcServer, new(Server))

	lis, err := net.Listen("tcp", ":1234")
	if err != nil {
		log.Fatal(err)
	}
	log.Println("HelloService listening on :1234")
	log.Fatal(grpcServer.Serve(lis))
}
