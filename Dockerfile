# syntax=docker/dockerfile:1
# VantaBot: build with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as a non-root user.
#   docker build -t vantabot .
#   docker run --env-file .env -p 8080:8080 -v vantabot-data:/data vantabot

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# global.json is deliberately not copied: it pins the SDK feature band of the developer machines,
# while the image brings whichever .NET 10 SDK it ships.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet restore src/Bot/VantaBot.Bot.csproj
RUN dotnet publish src/Bot/VantaBot.Bot.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The aspnet image ships a non-root user "app" whose uid is in $APP_UID.
RUN mkdir -p /data && chown "$APP_UID" /data
WORKDIR /app
COPY --from=build /app ./
ENV ConnectionStrings__Main="Data Source=/data/vantabot.db" \
    Health__Urls=http://0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "VantaBot.Bot.dll"]
