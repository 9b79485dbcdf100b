# The AWS emulator (Cognito, DynamoDB, S3) behind the launcher that serialises its requests, as the runner
# starts it (scripts/moto_server.py).
FROM python:3.11-slim-bookworm
RUN pip install --no-cache-dir "moto[server]==5.2.5"
COPY scripts/moto_server.py /app/moto_server.py
USER 65532:65532
EXPOSE 5000
ENTRYPOINT ["python", "/app/moto_server.py", "--host", "0.0.0.0", "--port", "5000"]
