/*
 * 地域資源マップ: the map as an enhancement of the list.
 *
 * Nothing comes from another host until the resident presses 地図で見る. Then
 * Leaflet (served by this site) is loaded, map.json gives the markers of the
 * same search (every page of it, not only this one), and the tiles come from
 * the configured tile server. If Leaflet, the markers or the tiles cannot be
 * loaded, the map goes away and the page says so; the list below always works.
 */
(function () {
  "use strict";

  var panel = document.querySelector("[data-resource-map]");
  if (!panel || !window.fetch || !window.Promise) {
    return;
  }
  var button = panel.querySelector(".resource-map__toggle");
  var status = panel.querySelector(".resource-map__status");
  var canvas = panel.querySelector(".resource-map__canvas");
  var data = panel.dataset;
  var leaflet = null;
  var map = null;
  var busy = false;

  var FAILED =
    "地図を読み込めませんでした。通信の状態を確かめて、もう一度お試しください。" +
    "地域資源は、下の一覧からも探せます。";

  function say(message) {
    status.textContent = message;
  }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "地図を閉じる" : "地図で見る";
    canvas.hidden = !open;
  }

  function load(element, parent) {
    return new Promise(function (resolve, reject) {
      element.addEventListener("load", resolve);
      element.addEventListener("error", reject);
      parent.appendChild(element);
    });
  }

  function loadLeaflet() {
    if (!leaflet) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = data.leafletCss;
      var script = document.createElement("script");
      script.src = data.leafletJs;
      leaflet = Promise.all([load(css, document.head), load(script, document.head)]).then(
        function () {
          return window.L;
        },
        function (error) {
          leaflet = null;
          throw error;
        }
      );
    }
    return leaflet;
  }

  function loadPoints() {
    return fetch(data.points, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error("map.json: " + response.status);
      }
      return response.json();
    });
  }

  function attribution() {
    var element = document.createElement(data.attributionUrl ? "a" : "span");
    element.textContent = data.attribution;
    if (data.attributionUrl) {
      element.href = data.attributionUrl;
    }
    return element.outerHTML;
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    var category = document.createElement("p");
    category.textContent = point.category;
    box.appendChild(link);
    box.appendChild(category);
    return box;
  }

  function close() {
    if (map) {
      map.remove();
      map = null;
    }
    setOpen(false);
  }

  function fail() {
    close();
    say(FAILED);
  }

  function draw(L, result) {
    var points = result.points;
    if (!points.length) {
      say("この条件に合うもので、地図に表示できる場所が登録されているものはありません。");
      return;
    }
    setOpen(true);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    map = L.map(canvas, {
      zoomControl: false,
      attributionControl: false,
      // The page scrolls under the wheel; the map zooms with its buttons and keys.
      scrollWheelZoom: false,
      fadeAnimation: !still,
      zoomAnimation: !still,
      markerZoomAnimation: !still,
    });
    L.control.zoom({ zoomInTitle: "拡大", zoomOutTitle: "縮小" }).addTo(map);
    L.control.attribution({ prefix: false }).addAttribution(attribution()).addTo(map);
    map.on("popupopen", function (event) {
      var closeButton = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (closeButton) {
        closeButton.setAttribute("aria-label", "閉じる");
        closeButton.title = "閉じる";
      }
    });
    var icon = L.icon({
      iconUrl: data.icon,
      iconRetinaUrl: data.icon2x,
      shadowUrl: data.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
    var bounds = points.map(function (point) {
      L.marker([point.lat, point.lng], { icon: icon, title: point.name, alt: point.name })
        .bindPopup(popup(point))
        .addTo(map);
      return [point.lat, point.lng];
    });
    map.fitBounds(bounds, { padding: [32, 32], maxZoom: 16 });

    // The tiles settle (each loaded or failed) before "load"; none loaded means no map.
    var tiles = L.tileLayer(data.tiles, { minZoom: 5, maxZoom: 18 });
    var loaded = 0;
    tiles.on("tileload", function () {
      loaded += 1;
    });
    tiles.on("load", function () {
      if (!loaded && map) {
        // Not inside Leaflet's own event: removing the map there would pull the layer away under it.
        window.setTimeout(fail, 0);
      }
    });
    tiles.addTo(map);
    say(
      "地図に" + points.length + "か所を表示しました。" +
      (result.truncated ? "多いため、一部だけを表示しています。" : "") +
      "印を選ぶと名前が出ます。同じ内容は下の一覧にもあります。"
    );
  }

  button.addEventListener("click", function () {
    if (busy) {
      return;
    }
    if (map) {
      close();
      say("");
      return;
    }
    busy = true;
    say("地図を読み込んでいます…");
    Promise.all([loadLeaflet(), loadPoints()])
      .then(function (results) {
        draw(results[0], results[1]);
      })
      .catch(fail)
      .then(function () {
        busy = false;
      });
  });

  panel.hidden = false;
})();
