# Production image: serves Spotter against an external PostgreSQL (DATABASE_URL).
FROM node:20-bookworm-slim
WORKDIR /app
RUN npm install -g deno@2 && useradd --create-home --uid 10001 spotter
COPY deno.json deno.lock ./
COPY . .
RUN deno install --frozen && deno cache main.ts && chown -R spotter:spotter /app
USER spotter
ENV PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# DATABASE_URL is required here: the embedded PostgreSQL is for development.
CMD ["sh", "-c", "test -n \"$DATABASE_URL\" || { echo 'Set DATABASE_URL' >&2; exit 2; }; exec deno run --allow-net --allow-env --allow-read --allow-sys --v8-flags=--max-old-space-size=256 main.ts"]
